// Observable Framework configuration. See README, "How the site builds offline".
export default {
  title: "Belief-updating kit",
  root: "src",
  output: "dist",
  // The default global stylesheet is a web font on a font CDN; the site must load offline.
  globalStylesheets: [],
  style: "style.css",
  pages: [
    { name: "Overview", path: "/" },
    { name: "Updates", path: "/updates" },
    { name: "Learning rates", path: "/learning-rates" },
    { name: "Mediation", path: "/mediation" },
    { name: "Participant", path: "/participant" },
    { name: "Data and methods", path: "/data" },
    { name: "Analyse your study", path: "/analyse" },
    {
      name: "Other ketamine trials",
      pages: [
        { name: "Crossover: naltrexone (Williams 2018)", path: "/crossover" },
        { name: "Parallel: midazolam (Murrough 2013)", path: "/parallel" },
      ],
    },
  ],
  head: '<link rel="icon" href="data:,"><meta name="description" content="Belief-updating kit: learning from good and bad news, and clinical change">',
  footer: "belief-updating-kit. Data shown on this site are synthetic unless the study says otherwise.",
  search: false,
  // The exported module that lets other pages import a live chart (see README, Embedding).
  dynamicPaths: ["/embed/figures.js"],
  linkify: true,
};
