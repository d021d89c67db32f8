/**
 * Hides credentials in a URL (`https://user:token@host`, `https://TOKEN@host`): `${VAR}` expansion
 * and private indexes put secrets there, and diagnostics are shown to people and stored.
 * `git@` (the ssh user of every Git host) carries no secret and stays readable.
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/)[^/@\s]+@/, (match, slashes: string) =>
    match === '//git@' ? match : `${slashes}***@`,
  );
}
