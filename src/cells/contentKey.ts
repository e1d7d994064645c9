/**
 * Key under which an object offers the notebook cache a description of its content. The
 * cache hashes what the function returns instead of the object, so two objects with the
 * same content share cached results. Registered with Symbol.for, so the runtime can use
 * it without importing this library.
 */
export const contentKey: unique symbol = Symbol.for("carryover.contentKey") as never;
