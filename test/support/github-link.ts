// Linking a GitHub App installation as a person does it: a link request through the API, GitHub's
// authorize step (the test plays the browser, signed in on the stand-in as a GitHub user), then
// the app's setup URL on the API with what GitHub put on the redirect.
import type { ApiStack } from './api-stack';
import { request, type JsonResponse } from './http';

/** Starts a link request in the org; the answer carries install_url and authorize_url. */
export function requestLink(
  stack: ApiStack,
  token: string,
  orgId: string,
  installationId?: number,
): Promise<JsonResponse> {
  return stack.call(
    token,
    'POST',
    `/api/v1/orgs/${orgId}/github/installations/link-requests`,
    installationId === undefined ? {} : { installation_id: installationId },
  );
}

/**
 * Follows `authorizeUrl` on the GitHub stand-in as `githubLogin`'s browser and returns the
 * redirect GitHub answered with (RepoGuard's setup URL with `code` and `state`).
 */
export async function authorizeOnGithub(authorizeUrl: string, githubLogin: string): Promise<URL> {
  const response = await fetch(authorizeUrl, {
    redirect: 'manual',
    headers: { 'x-stand-in-user': githubLogin },
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) {
    throw new Error(`the stand-in did not redirect: ${response.status} ${await response.text()}`);
  }
  return new URL(location);
}

/** GETs the API's setup URL with these query parameters, as the browser arriving from GitHub. */
export function callSetup(stack: ApiStack, parameters: Record<string, string>): Promise<JsonResponse> {
  return request(`${stack.url}/api/v1/github/setup?${new URLSearchParams(parameters)}`);
}

/** The whole flow for an installed app: request (naming the installation), authorize, setup. */
export async function linkInstallation(
  stack: ApiStack,
  token: string,
  orgId: string,
  installationId: number,
  githubLogin: string,
): Promise<JsonResponse> {
  const started = await requestLink(stack, token, orgId, installationId);
  if (started.status !== 201)
    throw new Error(`link request: ${started.status} ${JSON.stringify(started.body)}`);
  const redirect = await authorizeOnGithub(started.body.authorize_url, githubLogin);
  return callSetup(stack, Object.fromEntries(redirect.searchParams));
}
