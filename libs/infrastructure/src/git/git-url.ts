// The parsing is the domain's (connecting a repository names it from its URL); re-exported for the git adapter.
export { parseGitUrl, type GitUrlScheme, type ParsedGitUrl } from '@repoguard/domain';
