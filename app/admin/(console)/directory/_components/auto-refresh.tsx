'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

/** Refreshes the page's server data every `intervalMs` while `active` (a run is queued or running); stops when it isn't. */
export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
