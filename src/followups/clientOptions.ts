/** As the delivery clients: default credentials and region, AWS_ENDPOINT_URL honoured, the same timeouts and retries. */
export { AWS_CLIENT_OPTIONS as CLIENT_OPTIONS } from '../config/awsClientOptions';
