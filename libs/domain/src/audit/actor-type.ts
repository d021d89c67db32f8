/** Who made a change: a person, an API key, RepoGuard itself, or a provider's webhook. */
export type ActorType = 'user' | 'api_key' | 'system' | 'webhook';
