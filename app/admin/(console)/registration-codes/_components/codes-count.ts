import { formatCount } from '../../users/_components/format';

/** "1 code", "1,234 codes". */
export function codesCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'code' : 'codes'}`;
}
