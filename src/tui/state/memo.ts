/**
 * A one-entry cache keyed by the identity of its inputs: selectors recompute only when the state
 * objects they read were replaced (the reducer replaces what changed and keeps the rest).
 */
export function lastValue<T>(): (inputs: readonly unknown[], compute: () => T) => T {
  let memo: {inputs: readonly unknown[]; value: T} | undefined;
  return (inputs, compute) => {
    if (!memo || memo.inputs.length !== inputs.length || !memo.inputs.every((x, i) => Object.is(x, inputs[i]))) memo = {inputs, value: compute()};
    return memo.value;
  };
}
