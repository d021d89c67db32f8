/** How the API names a repository (`full_name`): owner/name, or for a git URL its host and path. */
export function repoDisplayName(repo: { readonly owner: string; readonly name: string }): string {
  return `${repo.owner}/${repo.name}`;
}
