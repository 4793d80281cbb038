import type { Metadata } from 'next';
import { requireAdmin } from '@/lib/auth';
import { listNewestUsers } from '@/lib/users';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  await requireAdmin();
  const users = await listNewestUsers(50);
  return (
    <>
      <h1>Users</h1>
      <p className="muted">The newest VPN users. Creating, importing and bulk actions arrive with user provisioning.</p>
      {users.length === 0 ? (
        <p>No users yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Username</th>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{`${u.firstName} ${u.lastName}`.trim() || '—'}</td>
                <td>{u.email}</td>
                <td>{u.username}</td>
                <td>{u.source}</td>
                <td>{u.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
