// The token is kept for the browser tab's session only (sessionStorage): closing the tab signs out,
// and no other tab or later visit finds it.
const TOKEN_KEY = 'repoguard.token';

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: sign in again on each load
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // storage disabled: the token stays in memory for this page only
  }
}
