/**
 * The settings of `sparkify infra`: the classic infrastructure-as-code `[DWH]` section of dwh.cfg
 * (DWH_CLUSTER_TYPE, DWH_NUM_NODES, ...), with `SPARKIFY_DWH_*` environment variables over it and flags over
 * both, as everywhere in sparkify. The master password comes from DWH_DB_PASSWORD (config or environment,
 * never a flag, so it stays out of shell history) or AWS manages it; it is never printed.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkText, oneOf, textRule, wholeNumber, type TextRule } from '../config/text-rules.js';
import { readDwhSections, unquoted } from '../config/configparser-reader.js';
import { ConfigError } from '../errors.js';

/** Provisioned cluster or Serverless namespace and workgroup. */
export type InfraKind = 'provisioned' | 'serverless';

/** Everything `infra up`, `status` and `down` need, validated. */
export interface InfraSettings {
  /** The dwh.cfg that is read and written. */
  readonly configFile: string;
  /** `--serverless` given (or DWH_SERVERLESS): otherwise provisioned, and status/down look for both. */
  readonly serverless: boolean;
  readonly region?: string;
  /** The cluster's identifier; on Serverless, the namespace's and the workgroup's name. */
  readonly clusterIdentifier: string;
  readonly clusterType: 'multi-node' | 'single-node';
  readonly nodeType: string;
  readonly numberOfNodes: number;
  /** Smallest Serverless base capacity, in RPUs. */
  readonly baseCapacity: number;
  readonly roleName: string;
  readonly database: string;
  readonly dbUser: string;
  /** Absent: AWS manages the master password (ManageMasterPassword). Never print it. */
  readonly password?: string;
  readonly port: number;
  /** Open port 5439 to `cidr` and make the cluster publicly accessible. */
  readonly public: boolean;
  readonly cidr?: string;
  /** The classic `[AWS] KEY` / `SECRET` pair, when present: used, with a warning to use a profile instead. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Flags of the infra verbs, as commander parses them. */
export interface InfraFlags {
  readonly config?: string;
  readonly serverless?: boolean;
  readonly public?: boolean;
  readonly cidr?: string;
  readonly region?: string;
  readonly clusterIdentifier?: string;
  readonly clusterType?: string;
  readonly nodeType?: string;
  readonly numNodes?: string;
  readonly baseCapacity?: string;
  readonly iamRoleName?: string;
  readonly db?: string;
  readonly dbUser?: string;
  readonly port?: string;
}

/** One setting: its `[DWH]` key (also the environment variable, prefixed SPARKIFY_), flag and default. */
interface InfraKey {
  readonly key: string;
  readonly flag?: keyof InfraFlags;
  readonly fallback?: string;
  readonly schema: TextRule<unknown>;
  readonly expected: string;
}

const NAME = textRule(/^[a-z][a-z0-9-]{0,62}$/);

/** The keys, in the order of the classic template. Documented in the README's infra section. */
export const INFRA_KEYS: readonly InfraKey[] = [
  { key: 'DWH_CLUSTER_TYPE', flag: 'clusterType', schema: oneOf(['multi-node', 'single-node']), expected: 'multi-node or single-node' },
  { key: 'DWH_NUM_NODES', flag: 'numNodes', fallback: '2', schema: wholeNumber(1, 128), expected: 'a number of nodes from 1 to 128' },
  {
    key: 'DWH_NODE_TYPE',
    flag: 'nodeType',
    fallback: 'ra3.large',
    schema: textRule(/^[a-z0-9]+\.[a-z0-9]+$/),
    expected: 'a node type such as ra3.large',
  },
  {
    key: 'DWH_IAM_ROLE_NAME',
    flag: 'iamRoleName',
    fallback: 'sparkify-redshift-s3-read',
    schema: textRule(/^[\w+=,.@-]{1,64}$/),
    expected: 'an IAM role name',
  },
  {
    key: 'DWH_CLUSTER_IDENTIFIER',
    flag: 'clusterIdentifier',
    fallback: 'sparkify-dwh',
    schema: NAME,
    expected: 'lowercase letters, digits and hyphens, starting with a letter',
  },
  {
    key: 'DWH_DB',
    flag: 'db',
    fallback: 'dwh',
    schema: textRule(/^[a-z_][a-z0-9_$]{0,63}$/),
    expected: 'a database name in lowercase',
  },
  {
    key: 'DWH_DB_USER',
    flag: 'dbUser',
    fallback: 'dwhuser',
    schema: textRule(/^[a-z_][a-z0-9_$]{0,127}$/),
    expected: 'a user name in lowercase',
  },
  {
    key: 'DWH_DB_PASSWORD',
    schema: textRule(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[^'"\\/@\s]{8,64}$/),
    expected: '8-64 characters with a lowercase letter, an uppercase letter and a digit, and none of \' " \\ / @ or spaces',
  },
  { key: 'DWH_PORT', flag: 'port', fallback: '5439', schema: wholeNumber(1150, 65535), expected: 'a port from 1150 to 65535' },
  { key: 'DWH_REGION', flag: 'region', schema: textRule(/^[a-z]{2}(-[a-z]+)+-\d$/), expected: 'an AWS region such as us-west-2' },
  {
    key: 'DWH_BASE_CAPACITY',
    flag: 'baseCapacity',
    fallback: '8',
    schema: wholeNumber(4, 1024),
    expected: 'Redshift Processing Units, 8 or more in steps of 8 (4 where offered)',
  },
];

/**
 * Resolves the infra settings: flags, then `SPARKIFY_<KEY>` variables (SPARKIFY_DWH_NODE_TYPE, ...), then the
 * `[DWH]` section of the config file, then defaults. The config file is `--config`, SPARKIFY_CONFIG or
 * ./dwh.cfg, and need not exist yet: `infra up` creates it.
 */
export function loadInfraSettings(flags: InfraFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): InfraSettings {
  const configFile = resolve(cwd, flags.config ?? env.SPARKIFY_CONFIG ?? 'dwh.cfg');
  const sections = existsSync(configFile) ? readSections(configFile) : {};
  const dwh = sections.DWH ?? {};
  const raw = (entry: InfraKey): { value: string; origin: string } | undefined => {
    const flag = entry.flag ? flags[entry.flag] : undefined;
    if (typeof flag === 'string' && flag.trim() !== '') return { value: flag.trim(), origin: `--${kebab(entry.flag!)}` };
    const variable = `SPARKIFY_${entry.key}`;
    if (env[variable]?.trim()) return { value: env[variable]!.trim(), origin: `${variable} (environment)` };
    if (dwh[entry.key]?.trim()) return { value: dwh[entry.key]!.trim(), origin: `${configFile} [DWH] ${entry.key}` };
    return entry.fallback === undefined ? undefined : { value: entry.fallback, origin: 'default' };
  };
  const value = <T>(key: string): T | undefined => {
    const entry = INFRA_KEYS.find((candidate) => candidate.key === key)!;
    const given = raw(entry);
    if (!given) return undefined;
    const parsed = checkText(entry.schema, given.value);
    // The password's value is never echoed, even when it is wrong.
    const shown = entry.key === 'DWH_DB_PASSWORD' ? '***' : `"${given.value}"`;
    if (parsed === undefined) throw new ConfigError(`${given.origin}: expected ${entry.expected}, got ${shown}`);
    return parsed as T;
  };

  const numberOfNodes = value<number>('DWH_NUM_NODES')!;
  const clusterType = value<'multi-node' | 'single-node'>('DWH_CLUSTER_TYPE') ?? (numberOfNodes === 1 ? 'single-node' : 'multi-node');
  if (clusterType === 'multi-node' && numberOfNodes < 2) {
    throw new ConfigError('DWH_CLUSTER_TYPE multi-node needs DWH_NUM_NODES of 2 or more (or single-node with 1)');
  }
  const isPublic = flags.public === true;
  const cidr = flags.cidr?.trim();
  if (isPublic && !cidr) throw new ConfigError('--public needs --cidr <your address>/32: the port is opened to that address only');
  if (cidr && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr))
    throw new ConfigError(`--cidr: expected an IPv4 range such as 203.0.113.7/32, got "${cidr}"`);
  if (cidr && !isPublic) throw new ConfigError('--cidr applies with --public only');

  return {
    configFile,
    serverless: flags.serverless === true || /^(1|true|yes)$/i.test(env.SPARKIFY_DWH_SERVERLESS ?? dwh.DWH_SERVERLESS ?? ''),
    region: value<string>('DWH_REGION'),
    clusterIdentifier: value<string>('DWH_CLUSTER_IDENTIFIER')!,
    clusterType,
    nodeType: value<string>('DWH_NODE_TYPE')!,
    numberOfNodes: clusterType === 'single-node' ? 1 : numberOfNodes,
    baseCapacity: value<number>('DWH_BASE_CAPACITY')!,
    roleName: value<string>('DWH_IAM_ROLE_NAME')!,
    database: value<string>('DWH_DB')!,
    dbUser: value<string>('DWH_DB_USER')!,
    password: value<string>('DWH_DB_PASSWORD'),
    port: value<number>('DWH_PORT')!,
    public: isPublic,
    cidr,
    credentials: classicKeys(sections.AWS),
  };
}

// The [DWH] and [AWS] sections as configparser reads them (DEFAULT and %-references included), keys
// upper-cased and values unquoted. Only these two: a broken key elsewhere is the run's business, not infra's.
function readSections(path: string): Record<string, Record<string, string>> {
  const parsed = readDwhSections(path);
  const sections: Record<string, Record<string, string>> = {};
  for (const name of ['DWH', 'AWS']) {
    if (!parsed.has(name)) continue;
    const values: Record<string, string> = {};
    for (const key of parsed.keys(name)) {
      const entry = parsed.get(name, key);
      if (entry) values[key.toUpperCase()] = unquoted(entry.value);
    }
    sections[name] = values;
  }
  return sections;
}

// The classic notebook's [AWS] KEY / SECRET. Taken only as a pair; otherwise the SDK's chain applies.
function classicKeys(section: Record<string, string> | undefined): InfraSettings['credentials'] {
  const accessKeyId = section?.KEY?.trim();
  const secretAccessKey = section?.SECRET?.trim();
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
