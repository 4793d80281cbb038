'use client';

import { startTransition, useActionState, useRef, useState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/result';

export type FormAction<T = void> = (prev: ActionResult<T> | undefined, data: FormData) => Promise<ActionResult<T>>;
export type SaveOrTestState<T> = { intent: 'save'; result: ActionResult } | { intent: 'test'; result: ActionResult<T> } | undefined;

/**
 * A settings form with two submit buttons (name="intent": save or test) posting the same fields to two
 * actions: Test never saves. Submitting never resets the form (the browser keeps what was typed, on
 * errors too); `afterSave` runs once a save succeeded, e.g. to empty a secret field that is never shown back.
 */
export function useSaveOrTest<T>(saveAction: FormAction, testAction: FormAction<T>, afterSave?: (form: HTMLFormElement) => void) {
  const formRef = useRef<HTMLFormElement>(null);
  const [intent, setIntent] = useState<'save' | 'test'>('save');
  const [state, dispatch, pending] = useActionState<SaveOrTestState<T>, FormData>(async (_prev, data) => {
    if (data.get('intent') === 'test') return { intent: 'test', result: await testAction(undefined, data) };
    const result = await saveAction(undefined, data);
    if (result.ok && formRef.current) afterSave?.(formRef.current);
    return { intent: 'save', result };
  }, undefined);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const data = new FormData(event.currentTarget, submitter);
    setIntent(data.get('intent') === 'test' ? 'test' : 'save');
    startTransition(() => dispatch(data));
  }

  return { formRef, intent, state, pending, submit };
}
