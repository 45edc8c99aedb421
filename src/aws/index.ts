/** The lazily loaded AWS side of the helper: everything that imports the AWS SDK. */
import type { AwsModule } from './token';
import { fetchToken } from './fetch-token';

/** The module object `LoadAws` resolves to. */
export const awsModule: AwsModule = { fetchToken };
export { fetchToken };
