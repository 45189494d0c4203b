export { fuseRankings } from './lib/hybrid-ranking';
