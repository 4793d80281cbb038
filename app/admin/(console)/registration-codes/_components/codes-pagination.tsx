import { Pagination } from '@/app/_components/pagination';
import { codeListHref, type CodeFilter } from '@/lib/registration-codes/code-list-schemas';

/** The Registration Codes list's pages, keeping the filter. */
export function CodesPagination({ filter, page, pageCount }: { filter: CodeFilter; page: number; pageCount: number }) {
  return <Pagination page={page} pageCount={pageCount} hrefFor={(p) => codeListHref({ ...filter, page: p })} />;
}
