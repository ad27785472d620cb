/** As the delivery clients: default credentials and region, AWS_ENDPOINT_URL honoured, adaptive retry. */
export const CLIENT_OPTIONS = { retryMode: 'adaptive', maxAttempts: 4 } as const;
