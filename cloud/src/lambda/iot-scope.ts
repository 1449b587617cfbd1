import { CardfleetError, type IotScope } from '@cardfleet/shared';

/** Region and account of a Lambda from its ARN: `arn:<partition>:lambda:<region>:<account>:function:<name>`. */
export function iotScopeOf(functionArn: string): IotScope {
  const [arn, , service, region, account] = functionArn.split(':');
  if (arn !== 'arn' || service !== 'lambda' || !region || !/^\d{12}$/.test(account ?? ''))
    throw new CardfleetError('CONFIG_INVALID', `not a Lambda function ARN: ${functionArn}`);
  return { region, account: account as string };
}
