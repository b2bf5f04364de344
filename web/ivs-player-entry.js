// Bundled by esbuild (cargo xtask setup) into vendor/ivs-player.js: the IVS web player ships as
// CommonJS that requires other npm packages, so the browser app gets it as one script that exposes
// the module as `window.IVSPlayer` for the wasm-bindgen bindings in src/player/.
import * as IVSPlayer from 'amazon-ivs-player';
window.IVSPlayer = IVSPlayer;
