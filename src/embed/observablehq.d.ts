// Framework's standard library as the embeddable modules import it (resolved by Framework at build time).
declare module "observablehq:stdlib" {
  interface FileAttachmentHandle {
    name: string;
    url(): Promise<string>;
    json(): Promise<any>;
    text(): Promise<string>;
  }
  export function FileAttachment(name: string): FileAttachmentHandle;
}
