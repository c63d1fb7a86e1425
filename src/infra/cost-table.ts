/**
 * What the warehouse costs per hour, for `infra status` and `infra up`. On-demand prices of us-east-1 and
 * us-west-2 (the same there) as published by AWS in 2026; other regions cost up to a third more. Managed
 * storage (about $0.024 per GB-month) and data transfer come on top. Check https://aws.amazon.com/redshift/pricing/.
 */

/** US dollars per node-hour of provisioned node types AWS still sells. */
export const NODE_PRICES: Readonly<Record<string, number>> = {
  'ra3.large': 0.543,
  'ra3.xlplus': 1.086,
  'ra3.4xlarge': 3.26,
  'ra3.16xlarge': 13.04,
};

/** US dollars per RPU-hour of Redshift Serverless, billed per second while queries run (60 s minimum). */
export const RPU_PRICE = 0.375;

/** The price of a provisioned cluster while it exists, or undefined for a node type not listed. */
export function clusterCostPerHour(nodeType: string, nodes: number): number | undefined {
  const price = NODE_PRICES[nodeType];
  return price === undefined ? undefined : round(price * nodes);
}

/** The price of a Serverless workgroup per hour of activity at its base capacity. */
export function serverlessCostPerHour(baseCapacity: number): number {
  return round(RPU_PRICE * baseCapacity);
}

/** `$1.09/h` style text; `unknown` when undefined. */
export function formatCost(cost: number | undefined, suffix = '/h'): string {
  return cost === undefined ? 'unknown (node type not in the price table)' : `$${cost.toFixed(2)}${suffix}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
