/**
 * Redshift Serverless (JSON 1.1, `X-Amz-Target: RedshiftServerless.<Action>`) of the loopback AWS server:
 * namespaces, workgroups and their tags. A workgroup is CREATING for a poll or two, then AVAILABLE.
 */
import { ACCOUNT, type AwsState, type NamespaceRecord, type WorkgroupRecord } from './aws-state.js';
import { AwsFault } from './aws-wire.js';

type Json = Record<string, unknown>;

/** Answers one Serverless action. */
export function handleServerless(action: string, input: Json, state: AwsState): Json {
  const text = (name: string) => {
    const value = input[name];
    if (typeof value !== 'string') throw new AwsFault('ValidationException', `${name} is required`);
    return value;
  };
  const namespace = () => {
    const found = state.namespaces.get(text('namespaceName'));
    if (!found) throw new AwsFault('ResourceNotFoundException', `Namespace ${input.namespaceName} not found`);
    return found;
  };
  const workgroup = () => {
    const found = state.workgroups.get(text('workgroupName'));
    if (!found) throw new AwsFault('ResourceNotFoundException', `Workgroup ${input.workgroupName} not found`);
    return found;
  };
  const tags = () => (Array.isArray(input.tags) ? (input.tags as { key: string; value: string }[]) : []);
  switch (action) {
    case 'GetNamespace': {
      const found = state.stepNamespace(namespace());
      if (!found) throw new AwsFault('ResourceNotFoundException', `Namespace ${input.namespaceName} not found`);
      return { namespace: namespaceJson(found) };
    }
    case 'CreateNamespace': {
      const name = text('namespaceName');
      if (state.namespaces.has(name)) throw new AwsFault('ConflictException', `Namespace ${name} already exists`);
      const record: NamespaceRecord = {
        name,
        arn: `arn:aws:redshift-serverless:us-west-2:${ACCOUNT}:namespace/${name}`,
        db: (input.dbName as string) ?? 'dev',
        admin: (input.adminUsername as string) ?? 'admin',
        iamRoles: (input.iamRoles as string[]) ?? [],
        status: 'AVAILABLE',
        polls: 0,
      };
      state.namespaces.set(name, record);
      state.serverlessTags.set(record.arn, tags());
      return { namespace: namespaceJson(record) };
    }
    case 'DeleteNamespace': {
      const found = namespace();
      if ([...state.workgroups.values()].some((group) => group.namespace === found.name)) {
        throw new AwsFault('ConflictException', `Namespace ${found.name} has a workgroup: delete it first`);
      }
      found.status = 'DELETING';
      found.polls = 0;
      return { namespace: namespaceJson(found) };
    }
    case 'GetWorkgroup': {
      const found = state.stepWorkgroup(workgroup());
      if (!found) throw new AwsFault('ResourceNotFoundException', `Workgroup ${input.workgroupName} not found`);
      return { workgroup: workgroupJson(found) };
    }
    case 'CreateWorkgroup': {
      const name = text('workgroupName');
      if (state.workgroups.has(name)) throw new AwsFault('ConflictException', `Workgroup ${name} already exists`);
      if (!state.namespaces.has(text('namespaceName')))
        throw new AwsFault('ResourceNotFoundException', `Namespace ${input.namespaceName} not found`);
      const record: WorkgroupRecord = {
        name,
        arn: `arn:aws:redshift-serverless:us-west-2:${ACCOUNT}:workgroup/${name}`,
        namespace: text('namespaceName'),
        baseCapacity: (input.baseCapacity as number) ?? 128,
        port: (input.port as number) ?? 5439,
        publiclyAccessible: input.publiclyAccessible === true,
        securityGroups: ['sg-0default'],
        status: 'CREATING',
        polls: 0,
      };
      state.workgroups.set(name, record);
      state.serverlessTags.set(record.arn, tags());
      return { workgroup: workgroupJson(record) };
    }
    case 'UpdateWorkgroup': {
      const found = workgroup();
      if (typeof input.publiclyAccessible === 'boolean') found.publiclyAccessible = input.publiclyAccessible;
      return { workgroup: workgroupJson(found) };
    }
    case 'DeleteWorkgroup': {
      const found = workgroup();
      if (found.status === 'DELETING') throw new AwsFault('ConflictException', `Workgroup ${found.name} is already being deleted`);
      found.status = 'DELETING';
      found.polls = 0;
      return { workgroup: workgroupJson(found) };
    }
    case 'ListTagsForResource': {
      const found = state.serverlessTags.get(text('resourceArn'));
      if (!found) throw new AwsFault('ResourceNotFoundException', `Resource ${input.resourceArn} not found`);
      return { tags: found };
    }
    default:
      throw new AwsFault('UnknownOperationException', `The loopback Redshift Serverless does not implement ${action}`);
  }
}

function namespaceJson(record: NamespaceRecord): Json {
  return {
    namespaceName: record.name,
    namespaceArn: record.arn,
    namespaceId: `ns-${record.name}`,
    dbName: record.db,
    adminUsername: record.admin,
    iamRoles: record.iamRoles,
    status: record.status,
  };
}

function workgroupJson(record: WorkgroupRecord): Json {
  return {
    workgroupName: record.name,
    workgroupArn: record.arn,
    workgroupId: `wg-${record.name}`,
    namespaceName: record.namespace,
    baseCapacity: record.baseCapacity,
    port: record.port,
    publiclyAccessible: record.publiclyAccessible,
    securityGroupIds: record.securityGroups,
    status: record.status,
    ...(record.status === 'CREATING'
      ? {}
      : { endpoint: { address: `${record.name}.${ACCOUNT}.us-west-2.redshift-serverless.amazonaws.com`, port: record.port } }),
  };
}
