/** A promise the test settles: holds a stub step until the test has sent or seen what it means to. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}
