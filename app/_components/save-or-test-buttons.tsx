/** Save and Test buttons of a settings form driven by useSaveOrTest (name="intent"). */
export function SaveOrTestButtons({ pending, intent, testLabel }: { pending: boolean; intent: 'save' | 'test'; testLabel: string }) {
  return (
    <div className="actions-row">
      <button type="submit" name="intent" value="save" className="button" aria-disabled={pending || undefined}>
        {pending && intent === 'save' ? 'Saving…' : 'Save settings'}
      </button>
      <button type="submit" name="intent" value="test" className="button secondary" aria-disabled={pending || undefined}>
        {pending && intent === 'test' ? 'Testing…' : testLabel}
      </button>
    </div>
  );
}
