import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

// Paths are relative to this folder (Vite's root when built with `vite build apps/web`).
export default defineConfig({
  plugins: [react()],
  build: {
    // Served by the API (apps/api/src/dashboard); WEB_DIST_DIR points it elsewhere.
    outDir: '../../dist/apps/web',
    emptyOutDir: true,
    // No inline data: URLs for small assets: the API's Content-Security-Policy allows 'self' only.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev:web`: the API of `npm run up` behind the dev server, same origin as in production.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
