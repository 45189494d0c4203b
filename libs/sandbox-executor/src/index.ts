export { FORBIDDEN_SEQUENCES, findForbiddenSequence } from './lib/forbidden-tokens';
