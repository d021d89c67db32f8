interface Node<K, V> {
  readonly key: K;
  value: V;
  older: Node<K, V> | null;
  newer: Node<K, V> | null;
}

/**
 * A map that knows which key was used least recently. A use relinks one node of a list instead of
 * deleting and setting the key again, which for a cache touching tens of thousands of keys a
 * batch cost more than the rest of a warm answer.
 */
export class RecencyMap<K, V> {
  private readonly nodes = new Map<K, Node<K, V>>();
  private oldest: Node<K, V> | null = null;
  private newest: Node<K, V> | null = null;

  get size(): number {
    return this.nodes.size;
  }

  has(key: K): boolean {
    return this.nodes.has(key);
  }

  /** The value, leaving its place in the order as it is. */
  peek(key: K): V | undefined {
    return this.nodes.get(key)?.value;
  }

  /** The value, now the most recently used; undefined when absent. */
  use(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (!node) return undefined;
    this.unlink(node);
    this.append(node);
    return node.value;
  }

  /** Sets the value, now the most recently used. */
  set(key: K, value: V): void {
    const node = this.nodes.get(key);
    if (node) {
      node.value = value;
      this.unlink(node);
      this.append(node);
      return;
    }
    const added: Node<K, V> = { key, value, older: null, newer: null };
    this.nodes.set(key, added);
    this.append(added);
  }

  /** The value removed, or undefined when absent. */
  delete(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (!node) return undefined;
    this.nodes.delete(key);
    this.unlink(node);
    return node.value;
  }

  /** The least recently used key, undefined when empty. */
  oldestKey(): K | undefined {
    return this.oldest?.key;
  }

  clear(): void {
    this.nodes.clear();
    this.oldest = this.newest = null;
  }

  private unlink(node: Node<K, V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = node.newer = null;
  }

  private append(node: Node<K, V>): void {
    node.older = this.newest;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }
}
