'use client';

import { useRouter } from 'next/navigation';
import type { FormHTMLAttributes } from 'react';

/**
 * A GET form that leaves empty and default fields out of the URL (shorter links to share) and
 * navigates without a full reload. Without JavaScript it is a plain GET form.
 */
export function CleanGetForm({
  action,
  defaults = {},
  ...props
}: { action: string; defaults?: Record<string, string> } & Omit<FormHTMLAttributes<HTMLFormElement>, 'action' | 'method' | 'onSubmit'>) {
  const router = useRouter();
  return (
    <form
      {...props}
      method="get"
      action={action}
      onSubmit={(event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        for (const [name, value] of new FormData(event.currentTarget)) {
          if (typeof value === 'string' && value.trim() !== '' && defaults[name] !== value) params.append(name, value.trim());
        }
        const query = params.toString();
        router.push(query ? `${action}?${query}` : action);
      }}
    />
  );
}
