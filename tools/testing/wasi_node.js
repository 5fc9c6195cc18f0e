// SPDX-License-Identifier: BSD-2-Clause
// Runs a WASI module under Node's WASI (the reference run_tests.py compares
// /usr/lib/wasm/wasmrt with): node wasi_node.js MODULE [ARG...], "/" preopened;
// a trap exits with status 134, as wasmrt's.
const fs = require('fs');
const { WASI } = require('wasi');

const wasi = new WASI({ version: 'preview1', args: process.argv.slice(2), env: process.env,
			preopens: { '/': '/' }, returnOnExit: true });
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), wasi.getImportObject())
	.then(({ instance }) => { process.exitCode = wasi.start(instance); })
	.catch((e) => { console.error('trap: ' + e.message); process.exitCode = 134; });
