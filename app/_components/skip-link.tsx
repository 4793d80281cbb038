/** The first focusable element of a shell: jumps past the navigation to the page's main content. */
export function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to content
    </a>
  );
}
