// Each distinct (service, operation) pair of a trace, numbered in the order first seen: the tree keeps
// a number per node (TreeLayout.operation) instead of renderers reading both names off a million span
// objects again. A large trace repeats a few pairs many times.

/** A service and one of its operations. */
export interface ServiceOperation {
  readonly service: string;
  readonly operation: string;
}

export class OperationNumbers {
  /** The pairs, by number. */
  readonly list: ServiceOperation[] = [];
  private readonly byService = new Map<string, Map<string, number>>();

  number(service: string, operation: string): number {
    let byOperation = this.byService.get(service);
    if (byOperation === undefined) {
      byOperation = new Map();
      this.byService.set(service, byOperation);
    }
    let k = byOperation.get(operation);
    if (k === undefined) {
      k = this.list.length;
      byOperation.set(operation, k);
      this.list.push({ service, operation });
    }
    return k;
  }

  /** The distinct services, in the order first seen. */
  services(): string[] {
    return [...this.byService.keys()];
  }
}
