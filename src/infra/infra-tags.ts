/**
 * The tag `sparkify infra` puts on everything it creates, and the test it applies before deleting: what does
 * not carry the tag was not made by sparkify and is never deleted.
 */

/** The tag's key and value. */
export const MANAGED_TAG = { key: 'managed-by', value: 'sparkify-infra' } as const;

/** The tag in the Key/Value spelling of IAM, Redshift and EC2. */
export const MANAGED_TAGS = [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }];

/** The tag in the key/value spelling of Redshift Serverless. */
export const MANAGED_TAGS_LOWER = [{ key: MANAGED_TAG.key, value: MANAGED_TAG.value }];

/** The description on the ingress rule it adds, so `down` revokes exactly that rule. */
export function ingressDescription(identifier: string): string {
  return `sparkify infra ${identifier}`;
}

/** True when `tags` (either spelling) hold the sparkify tag. */
export function isManaged(tags: readonly { Key?: string; Value?: string; key?: string; value?: string }[] | undefined): boolean {
  return (tags ?? []).some((tag) => (tag.Key ?? tag.key) === MANAGED_TAG.key && (tag.Value ?? tag.value) === MANAGED_TAG.value);
}
