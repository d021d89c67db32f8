/** An installation of the app as GitHub lists it to a user who can access it. */
export interface AccessibleInstallation {
  readonly id: string;
  readonly accountLogin: string;
  readonly accountType: string;
}

/** Where to send the person who links: to install the app, or to authorize it when it is installed. */
export interface GithubLinkUrls {
  readonly installUrl: string;
  readonly authorizeUrl: string;
}

/**
 * GitHub's web flow for the app's users: the proof that a person controls an installation. Refuses
 * with GITHUB_APP_NOT_CONFIGURED when the instance has no OAuth client for the app.
 */
export interface GithubUserAuthorization {
  /** The URLs GitHub sends back to the setup URL with `state` (and a `code`). */
  linkUrls(state: string): GithubLinkUrls;
  /**
   * Exchanges the OAuth `code` for the user's token (used for these calls only, never kept) and
   * looks for `installationId` among the installations the user can access. An unusable code is
   * GITHUB_OAUTH_CODE_INVALID.
   */
  findAccessibleInstallation(
    code: string,
    installationId: string,
  ): Promise<{ readonly githubLogin: string; readonly installation: AccessibleInstallation | null }>;
}
