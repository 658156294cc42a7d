// The contract's deploy.* and groups.* methods (issue 7): the create-VM wizard and groups.
import { RpcError } from '../../shared/contract/errors';
import type { Handlers } from '../../shared/rpc/server';

export type DeployHandlers = Pick<
  Handlers,
  | 'deploy.hostOptions'
  | 'deploy.placement'
  | 'deploy.validate'
  | 'deploy.previewXml'
  | 'deploy.create'
  | 'groups.list'
  | 'groups.save'
  | 'groups.delete'
  | 'groups.scale'
>;

const notYet = (): never => {
  throw new RpcError('unavailable', 'not implemented yet');
};

export function deployHandlers(): DeployHandlers {
  return {
    'deploy.hostOptions': notYet,
    'deploy.placement': notYet,
    'deploy.validate': notYet,
    'deploy.previewXml': notYet,
    'deploy.create': notYet,
    'groups.list': notYet,
    'groups.save': notYet,
    'groups.delete': notYet,
    'groups.scale': notYet,
  };
}
