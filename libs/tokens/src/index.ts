export { MacTokenCodec, type OpenedToken, type TokenKey } from './mac-token-codec.js';
export { deterministicUuid, uuidBytes, uuidString } from './uuid.js';
