// Minimal types for untyped browser libraries used by src/browser (no @types package exists).
declare module "@observablehq/inputs" {
  type Input = HTMLElement & { value: any };
  export function select(data: any, options?: any): Input;
  export function toggle(options?: any): Input;
  export function range(extent?: [number, number], options?: any): Input;
  export function number(extent?: [number, number], options?: any): Input;
  export function checkbox(data: any, options?: any): Input;
  export function radio(data: any, options?: any): Input;
  export function form(inputs: Record<string, Input> | Input[], options?: any): Input;
  export function table(data: any, options?: any): Input;
  export function button(content: any, options?: any): Input;
  export function text(options?: any): Input;
  export function file(options?: any): Input;
}

declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement;
}
