/** Types for heic-decode 2.x (CommonJS, ships none): libheif compiled to WebAssembly. */
declare module 'heic-decode' {
  interface DecodedHeic {
    width: number;
    height: number;
    /** RGBA, row-major, width × height × 4 bytes. */
    data: Uint8ClampedArray;
  }
  function decode(input: { buffer: Uint8Array | ArrayBuffer }): Promise<DecodedHeic>;
  export default decode;
}
