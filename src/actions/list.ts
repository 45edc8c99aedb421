/** `list`: never reads stdin (docker-py leaves it attached); answers from local state only. */
import { encodeList } from '../protocol/encode';
import type { ActionContext } from './action-context';

/** Lists the ECR registries with a live token, as `{"<server URL>":"AWS"}`. */
export async function listAction(context: ActionContext): Promise<string> {
  return encodeList(await context.tokens.listKnown());
}
