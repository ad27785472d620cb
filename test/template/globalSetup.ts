/**
 * jest globalSetup of the `template` project: packages the service once per run (the default
 * parameters into `.serverless/`, the other variants into a temporary directory) so that every
 * template test reads the same fresh result.
 */
import { packageAllVariants } from './packaging';

export default function globalSetup(): void {
  process.stderr.write('\nPackaging the service for the template tests (serverless package, offline)...\n');
  packageAllVariants();
}
