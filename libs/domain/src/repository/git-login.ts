/** The login a git server asks for over https: a user and a password or access token. */
export interface GitLogin {
  readonly username: string;
  readonly password: string;
}
