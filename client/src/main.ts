import { mount, type Component } from 'svelte';
import './styles/fonts.css';
import './styles/global.css';
import { prefs } from './lib/i18n/i18n.svelte';
import { parseRoute } from './lib/route';
import PlayApp from './play/PlayApp.svelte';

prefs.apply();
const route = parseRoute(location.pathname, location.search);
const target = document.getElementById('app')!;

// Host and projector code is split off so a contestant's phone downloads only the play screens,
// and the play screens are in the entry so a phone on 3G needs no extra round trip.
async function load(): Promise<Component<any>> {
  if (route.page === 'host') return (await import('./host/HostApp.svelte')).default;
  if (route.page === 'admin') return (await import('./admin/AdminApp.svelte')).default;
  if (route.page === 'screen') return (await import('./screen/ScreenApp.svelte')).default;
  return PlayApp;
}

void load().then((App) => mount(App, { target, props: { route } }));
