// Lint rules for the whole repository: JavaScript's and typescript-eslint's recommended sets, and Svelte's for
// the client. Formatting is Prettier's (.prettierrc), so no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default defineConfig(
  { ignores: ['**/node_modules/', '**/dist/', 'bench/out/', 'e2e/screenshots/'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  { languageOptions: { globals: globals.node } },
  { files: ['client/**'], languageOptions: { globals: globals.browser } },
  {
    // Svelte components and runes modules (*.svelte.ts) hold TypeScript.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      // A leading underscore marks a parameter kept only for a signature (a fake's `timeout(_ms)`, express's `_req`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Svelte 5 drops whitespace at the edge of a block, so `{' · '}` is how a separator keeps its spaces.
      'svelte/no-useless-mustaches': 'off',
      // Flags every Map and Set in a component; ours are scratch lookups and a storage fallback, never state.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // Test fixtures are free-form JSON that each case edits to break one field; typing them would hide that.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The one {@html}: an SVG the qrcode library draws from our own join URL, no user markup in it.
    files: ['client/src/components/QrCode.svelte'],
    rules: { 'svelte/no-at-html-tags': 'off' },
  },
);
