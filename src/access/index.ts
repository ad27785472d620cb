export { AuthorizationDetails } from './authorizationDetails';
export { ALWAYS_NOT_CONSIDERED, whoCanRead } from './whoCanRead';
export { trustedEntities } from './trust';
export type * from './types';
