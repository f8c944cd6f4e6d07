/**
 * How much pairwise work one stack check may do. Indexes answer the shapes real stacks have (names, ARNs,
 * tags, dependencies) in constant time per resource; what they cannot narrow (wildcard patterns that share
 * no literal prefix with anything) is compared pair by pair, and this budget keeps that linear in the size
 * of the stack whatever its shape. Past it, the check says it cannot decide instead of answering late.
 */
export class Budget {
  private left: number;

  constructor(readonly limit: number) {
    this.left = limit;
  }

  /** A budget proportional to the stack: `perResource` comparisons for each resource, and a floor. */
  static forStack(resources: number, perResource = 64, floor = 200000): Budget {
    return new Budget(floor + perResource * resources);
  }

  /** Takes `n` comparisons from the budget; false (and nothing taken) when they are not there. */
  spend(n = 1): boolean {
    if (this.left < n) return false;
    this.left -= n;
    return true;
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }
}

/** Why a check could not decide for a resource: the text of its "can't decide" finding. */
export function undecidedProblem(budget: Budget, what: string): string {
  return `the pack could not decide ${what}: the stack's wildcard patterns need more than ${budget.limit.toLocaleString("en-US")} comparisons, the limit that keeps analysis linear in the stack's size. It is reported so that nothing passes unchecked.`;
}
