import { ConfigError, envName, type Config } from '../config/config';

/** Settings a deployed monitor cannot run without; the CLI runs fine without them. */
export function requireDeliverySettings(config: Config): void {
  if (!config.alertTopicArn) throw new ConfigError(envName('alertTopicArn'), 'required in Lambda (the alert topic ARN)');
  if (config.securityHub && !config.securityHubProductArn) {
    throw new ConfigError(envName('securityHubProductArn'), 'required with SECURITY_HUB=true (the default product of the account that imports the findings; set by the stack)');
  }
}
