export { compareSeverity, mostSevere } from './lib/severity';
