import { lambdaHandler } from './api-handler';
import { awsCloud } from './aws-cloud';

/** The API Lambda (Function URL / API Gateway v2). */
const cloud = await awsCloud();
export const handler = lambdaHandler(cloud.app);
