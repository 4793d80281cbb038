'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

interface Item {
  href: string;
  label: string;
}

/** The admin console's navigation; marks the current area for assistive technology. */
export function AdminNav({ groups }: { groups: { label?: string; items: Item[] }[] }) {
  const pathname = usePathname();
  const current = (href: string) => (href === '/admin' ? pathname === '/admin' : pathname === href || pathname.startsWith(`${href}/`));
  return (
    <nav aria-label="Admin console">
      {groups.map((group, i) => (
        <div key={group.label ?? i}>
          {group.label ? <p className="group-label">{group.label}</p> : null}
          <ul>
            {group.items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
