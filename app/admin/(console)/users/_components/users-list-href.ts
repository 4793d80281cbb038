import { DEFAULT_SORT_DIRECTION, DEFAULT_USER_PAGE_SIZE, type UserListView } from '@/lib/users/list-users';
import { userFilterToParams, type UserFilter } from '@/lib/users/user-filter';

/** The Users list URL for a filter and view (server side); defaults are left out so shared links stay short. */
export function usersListHref(filter: UserFilter, view: Partial<UserListView>): string {
  const params = userFilterToParams(filter);
  const sort = view.sort ?? 'created';
  if (sort !== 'created') params.set('sort', sort);
  if (view.dir && view.dir !== DEFAULT_SORT_DIRECTION[sort]) params.set('dir', view.dir);
  if (view.page && view.page > 1) params.set('page', String(view.page));
  if (view.pageSize && view.pageSize !== DEFAULT_USER_PAGE_SIZE) params.set('size', String(view.pageSize));
  const query = params.toString();
  return query ? `/admin/users?${query}` : '/admin/users';
}
