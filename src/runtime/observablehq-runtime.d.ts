// Types for the parts of @observablehq/runtime 6.0.1 that src/runtime uses. The package ships no types.
declare module "@observablehq/runtime" {
  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown, name: string | null): void;
    rejected?(error: unknown, name: string | null): void;
  }

  export class Variable {
    /** Resolves `inputs` as names in the module and passes their values to `definition` in order. */
    define(name: string | null, inputs: readonly string[], definition: (...inputs: any[]) => unknown): this;
    define(inputs: readonly string[], definition: (...inputs: any[]) => unknown): this;
    delete(): this;
  }

  export class Module {
    variable(observer?: Observer): Variable;
    value(name: string): Promise<unknown>;
  }

  export class Runtime {
    /**
     * Each builtin's value is used as a variable definition, so a function is called and its
     * result becomes the value. `global` resolves names that no variable defines.
     */
    constructor(builtins?: Readonly<Record<string, unknown>>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
    /**
     * Internal in 6.0.1: schedules a computation pass unless one is scheduled and returns its
     * promise. Module.value awaits it the same way.
     */
    _compute(): Promise<void>;
  }

  export class RuntimeError extends Error {
    constructor(message: string, input?: string);
    /** Name of the input that failed, when the error came from an input. */
    readonly input?: string;
  }
}
