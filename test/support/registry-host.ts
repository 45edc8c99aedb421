/** The registry hosts the tests ask for, where the host itself is not what a test is about. */

/** The private ECR registry most tests ask for. */
export const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
