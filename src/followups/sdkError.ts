import { errorField } from '../delivery/log';

/** "AccessDeniedException: User ... is not authorized": what a finding says about a failed call. */
export function describeSdkError(error: unknown): string {
  const { name, message } = errorField(error);
  return message && message !== name ? `${name}: ${message.slice(0, 300)}` : name;
}
