"""The demo days, transcribed from the source documents in ``shared/seeds``.

Each session is (kind, start, end, title, participants, extras); a participant is
(role, first name, last name, function, organisation). Times are wall-clock times on the
day of the event.
"""

IRTS = "IRTS-IDS Normandie"

IRTS_CONTEXT = """\
Les mutations technologiques modifient profondément notre rapport au monde. Loin de se réduire à un mode de transmission de l'information, les technologies numériques bousculent aujourd'hui l'ensemble des sphères de la vie sociale et des espaces sociaux. Au front de la lutte contre les inégalités, le travail social est également concerné par ces changements technologiques.

Dans un contexte de transformations de l'État social, la généralisation de l'usage des technologies numériques dans le champ social est plébiscitée par les pouvoirs publics. Ainsi, dès le début des années 2000, le Conseil Supérieur du Travail Social évoquait la nécessité d'intensifier l'utilisation d'outils informatiques dans le secteur social. Plus récemment, le Plan national en faveur du travail social et du développement social (octobre 2015) fait de l'élaboration d'un « plan numérique pour le travail social » une priorité (mesure 11).

Cependant, dans le champ social, les technologies numériques ne font pas l'unanimité. En effet, aux deux extrémités des discours on trouve, d'une part, une perspective enjouée qui voit dans le numérique la possibilité de mieux prendre en charge les usagers, en améliorant la connaissance de leurs besoins, en permettant de gagner du temps « administratif » pour se consacrer à la « relation », de contourner les problèmes de mobilité des personnes, d'investir des « territoires numériques » comme nouveaux espaces du lien social, d'utiliser des technologies dynamiques comme supports d'intervention, etc. On trouve, d'autre part, une vision plus critique soulignant les multiples effets pervers de la numérisation du travail social comme la perte de « relation humaine authentique », le risque de standardisation des pratiques d'intervention, l'intensification des conditions de travail des professionnels dorénavant « connectés », les inégalités d'accès aux droits liés aux contraintes de l'e-administration, l'incertitude déontologique induite par le partage de données informatisées sur les personnes accompagnées, la rigidité des « appels à projets » et autres dispositifs d'accréditation en ligne, etc. Plus fondamentalement, le numérique cristallise un enjeu de transformation des pratiques des administrations sociales publiques, des organisations qui emploient et/ou forment des travailleurs sociaux et médico-sociaux et de leurs rapports aux usagers des politiques sociales.

Dans ce contexte, cette journée d'étude réunira étudiants, formateurs, chercheurs, praticiens et acteurs institutionnels du champ du travail social et médico-social afin d'interroger les enjeux, les risques et opportunités professionnels liés au développement des technologies numériques. Cette rencontre s'articulera autour de quelques interrogations principales auxquelles nous tenterons de répondre collectivement : Comment les technologies numériques changent-elles le travail social et médico-social ? Quels sont les effets du numérique sur les structures et services sociaux ? Quels sont les impacts économiques, politiques, organisationnels, déontologiques, etc., du numérique dans les rapports des travailleurs sociaux aux institutions de gouvernance de l'action sociale et médico-sociale et aux personnes accompagnées ? Comment les professionnels, usagers, étudiants, formateurs, etc. se saisissent de ces technologies ? Quels sont leurs usages des technologies numériques ? Quels sont les modes d'appropriation des technologies numériques qui permettent de renouveler les pratiques d'intervention et de formation sociales ?
"""

IRTS_PRESENTATION = """\
Lors de cette journée, il s'agit d'interroger les enjeux, les risques et opportunités professionnels liés au développement des technologies numériques dans le champ social et médico-social du côté des professionnels, des institutions et des personnes accompagnées. L'objet des Journées d'Étude Interprofessionnelles est également d'identifier des usages des technologies numériques et des pistes de réflexion favorisant l'amélioration de la prise en compte des personnes accompagnées dans les modes d'intervention sociale et la formation des travailleurs sociaux.

Dans cette perspective, cette journée alternera des ateliers thématiques animés par des étudiants, des professionnels et des formateurs, ainsi que des séances plénières au sein desquelles s'exprimeront des chercheurs, des praticiens et des formateurs sur les enjeux des technologies numériques dans l'intervention sociale.

Dans la pratique, en séance plénière, le matin, un conférencier présentera l'état de ses réflexions sur le sujet. Ensuite, au sein d'ateliers thématiques, des étudiants communiqueront et mettront en débat le fruit de leurs « observations » réalisées au sein d'établissements et de services du champ social. En effet, en amont de cette journée, des groupes d'étudiants (ES, AS, ETS, ME, TISF), accompagnés par des binômes praticien/formateur ont réalisé des observations sur les pratiques numériques dans différents secteurs d'intervention (protection de l'enfance, handicap enfant, handicap adulte, lutte contre les exclusions, personnes âgées, action socioculturelle). L'après-midi débutera par la présentation d'une synthèse des échanges des ateliers qui sera communiquée par un groupe constitué d'un formateur, d'un professionnel et d'un étudiant. Par la suite, une table ronde réunissant des acteurs institutionnels viendra alimenter la réflexion collective. Enfin, la journée se terminera par la présentation d'expériences d'utilisation des technologies numériques dans l'intervention sociale.
"""

KADDOUR = ("speaker", "Kédidja", "KADDOUR", "Directrice du pôle formation et ingénierie", IRTS)
PISSARELLO = ("speaker", "Sonia", "PISSARELLO",
              "Coordinatrice du réseau des partenaires de l’IRTS-IDS Normandie", "")
CYRIL_LAC_MODERATOR = ("moderator", "Cyril", "LAC",
                       "Responsable du centre pédagogique niveau 3", IRTS)


def _facilitators(*rows):
    """Workshop facilitators: the institute's staff are the trainers of each pair."""
    return [("trainer" if org == IRTS else "practitioner", first, last, "", org)
            for first, last, org in rows]


IRTS_WORKSHOPS = [
    (1, "Handicap enfant", "Handicap enfant", _facilitators(
        ("Benoît", "CESSELIN", "ITEP La Houssaye"),
        ("Jean-Marie", "DILUBENZI", IRTS),
        ("Nathalie", "THUAULT", "IME Envol Saint-Jean/ARRED"),
        ("Corinne", "LEVESQUE-DIA", IRTS),
        ("Laëtitia", "LANGIN", "IDEFHI ITEP Canteleu"),
        ("Carole", "LEFEBVRE", IRTS))),
    (2, "Handicap adulte", "Handicap adulte", _facilitators(
        ("Virginie", "TILLIER", "Papillons Blancs 76, CAJ Ana Louise Clavel"),
        ("Rosita", "VETILLARD", IRTS),
        ("Émilie", "BERTIN", "Papillons Blancs 76, CAJ La Clérette"),
        ("Éliane", "DARSOULANT", IRTS),
        ("Julie", "DA COSTA", "EPIFAJ Bacqueville-en-Caux"),
        ("Pascale", "LEMAITRE", IRTS))),
    (3, "Protection de l’enfance", "Protection de l’enfance", _facilitators(
        ("Didier", "EMERALD", "Association d’Action Éducative"),
        ("Sabine", "BARBARIN-NICOLIER", IRTS),
        ("Cyril", "ROLA", "IDEFHI Service enfance Rouen"),
        ("Christelle", "DELECLUSE", "IDEFHI Service enfance Rouen"),
        ("Jean-Christophe", "QUILBEUF", IRTS))),
    (4, "Personnes âgées", "Personnes âgées", _facilitators(
        ("Johann", "POISSON", "Fondation Filseine, Sapins EHPAD"),
        ("Karine", "FELIX", IRTS),
        ("Gilles", "DUVAL", IRTS),
        ("Claudine", "ROCH", "EHPAD La Villa Saint-Do"),
        ("Patricia", "BRIHIEZ", IRTS),
        ("Christine", "MENOUE", "Conseil Départemental 76"))),
    (5, "Intervention socio-urbaine", "Intervention socio-urbaine", _facilitators(
        ("Grégory", "CELO", "Association Maison Jacques Prévert"),
        ("Mohamed", "BELQASMI", IRTS),
        ("Alexis", "DOUALA", "Association Foyer Duquesne"),
        ("Cyril", "LAC", IRTS),
        ("Muriel", "LEROUX", "Relais Accueil des Gens du Voyage"),
        ("Alexandra", "DOS SANTOS", IRTS))),
    (6, "Exclusion et insertion", "Exclusion et insertion", _facilitators(
        ("Cyril", "MORIN", "Emergence-s"),
        ("Françoise", "MAHEUX", IRTS),
        ("Claire", "EITLER", "ONM Le Bouvreuil"),
        ("Manuelle", "FINN", IRTS),
        ("Anne", "LECLERC", IRTS))),
]

IRTS_SESSIONS = [
    ("welcome", "08:30", "09:00", "", [], {}),
    ("introduction", "09:00", "09:15", "", [KADDOUR, PISSARELLO], {}),
    ("plenary", "09:15", "10:30", "Technologies numériques et travail social", [
        ("moderator", "Mohamed", "BELQASMI", "Chargé de recherche", IRTS),
        ("speaker", "Vincent", "MEYER",
         "Sociologue, Professeur des universités en sciences de l’information et de la "
         "communication", "Université Nice Sophia Antipolis, Université Côte d’Azur"),
    ], {"room": "Amphithéâtre"}),
    ("break", "10:30", "10:45", "", [], {}),
    ("workshops", "10:45", "12:30", "", [], {"workshops": IRTS_WORKSHOPS}),
    ("lunch", "12:30", "14:00", "", [], {}),
    ("synthesis", "14:00", "14:30", "", [
        CYRIL_LAC_MODERATOR,
        ("rapporteur", "Manuelle", "FINN", "Formatrice", IRTS),
        ("rapporteur", "Virginie", "TILLIER", "Cheffe de service", "Papillons Blancs 76"),
        ("rapporteur", "Médéric", "MARTIN", "Étudiant", "DEIS 2019"),
    ], {"room": "Amphithéâtre"}),
    ("round_table", "14:30", "16:15", "Enjeux et risques\u202f: table ronde", [
        ("moderator", "Mohamed", "BELQASMI", "Chargé de Recherche", IRTS),
        ("panelist", "Philippe", "BRUNEL", "Délégué à la protection des données",
         "Conseil Départemental 76"),
        ("panelist", "Nicolas", "FLIPO", "Chargé de projets",
         "Maison Départementale des Personnes Handicapées 76"),
        ("panelist", "Esther", "GARCIA", "Chargée de mission",
         "Observatoire Départemental de la Protection de l’Enfance, Conseil Départemental 76"),
        ("panelist", "Marielle", "STINÈS", "Conseillère Technique et Pédagogique Supérieure",
         "DRDJSCS Normandie"),
        ("panelist", "Christophe", "JOURDAIN",
         "Chargé de mission Ressources et Transformations numériques",
         "Direction de l’Aménagement Numérique (DAN) Région Normandie"),
    ], {"room": "Amphithéâtre"}),
    ("talks", "16:15", "17:15", "Opportunités\u202f: récits d’expériences", [CYRIL_LAC_MODERATOR], {
        "room": "Amphithéâtre",
        "contributions": [
            ("Présentation du dispositif «\u202fPasseurs d’images\u202f»", [
                ("presenter", "Pierre", "LEMARCHAND", "", "Normandie Images")]),
            ("Présentation du projet «\u202fTurbulences numériques\u202f»", [
                ("presenter", "Grégory", "CELO", "Directeur", "Maison Jacques Prévert")]),
            ("Les enjeux des technologies numériques dans les formations sociales", [
                ("presenter", "Pierre", "LOURDEL",
                 "Directeur de la Mission numérique et systèmes d’information", IRTS)]),
        ]}),
    ("closing", "17:15", None, "", [KADDOUR, PISSARELLO], {"room": "Amphithéâtre"}),
    ("social", "17:15", None, "Buffet", [], {}),
]

IRTS_ROOMS = [("Amphithéâtre", 250)] + [(f"Salle {n}", 40) for n in range(1, 7)]

IRTS_EVENT = {
    "slug": "travail-social-epreuve-numerique-2018",
    "title": "Le travail social à l’épreuve du numérique\u202f: enjeux, risques et opportunités",
    "edition": "Journée d’étude interprofessionnelle 2018",
    "date": "2018-03-15",
    "registration_deadline": "2018-03-01",
    "registration_opens_on": "2018-01-08",
    "venue_name": "IRTS-IDS Normandie",
    "venue_address": "Allée de Flore",
    "venue_postcode": "76380",
    "venue_city": "Canteleu (Rouen)",
    "host_organisation": "IRTS-IDS Normandie et son Réseau de Partenaires",
    "audiences": "Étudiants, formateurs, chercheurs, praticiens et acteurs institutionnels "
                 "du champ du travail social et médico-social",
    "contact_email": "claire.lagu@irtsnormandie.ids.fr",
    "capacity": 240,
    "context": IRTS_CONTEXT,
    "presentation": IRTS_PRESENTATION,
    "rooms": IRTS_ROOMS,
    "sessions": IRTS_SESSIONS,
    "workshop_rooms": {n: f"Salle {n}" for n in range(1, 7)},
    "workshop_capacity": 40,
}

# The ETSUP report gives the order of the day and who spoke, not the clock: the times
# below are an indicative reconstruction of that order.
ETSUP_PRESENTATION = """\
Le 20 mars 2018, à l'initiative des étudiants de 2e année de formation Éducateur spécialisé de l'ETSUP, s'est tenue une journée d'étude inter-promo sur le Travail Social 2.0 : le numérique et le travail social.

Tout au long de la journée se succèdent des intervenant·e·s confronté·e·s à la numérisation des pratiques éducatives et institutionnelles, ainsi que des témoignages d'étudiant·e·s ayant expérimenté durant leurs stages l'impact des nouvelles technologies dans l'accompagnement des publics. Richard FEAT, consultant et intervenant à l'ETSUP, tient le rôle de « grand témoin » et livre le compte rendu de la journée.
"""

ETSUP_SESSIONS = [
    ("welcome", "09:00", "09:30", "", [], {}),
    ("plenary", "09:30", "10:15",
     "Le numérique, un nouveau risque professionnel\u202f?", [
         ("speaker", "Antoine", "BONDEELE", "", "INRS")], {}),
    ("testimony", "10:15", "10:30", "Témoignages d’étudiantes", [
        ("speaker", "Claire", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("speaker", "Marie", "", "Étudiante éducatrice spécialisée", "ETSUP")], {}),
    ("round_table", "10:30", "11:30", "Sur le terrain, un paradoxe", [
        ("panelist", "F.", "RADZINSKY", "", ""),
        ("panelist", "B.", "GOUDET", "", ""),
        ("panelist", "O.", "BOVILLE", "", ""),
        ("panelist", "C.", "DUIZABE", "Présentation de l’application «\u202fEntourage\u202f»",
         "Entourage")], {}),
    ("round_table", "11:30", "12:30", "Digitalisation\u202f: risques et/ou opportunités", [
        ("panelist", "Noémie", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("panelist", "Pauline", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("panelist", "Manon", "", "Étudiante éducatrice spécialisée", "ETSUP")], {}),
    ("lunch", "12:30", "13:45", "", [], {}),
    ("talks", "13:45", "14:45", "Usages et pratiques des personnes accompagnées", [
        ("speaker", "Morgane", "SKOWRON", "", "")], {}),
    ("testimony", "14:45", "15:45", "Communication vidéo\u202f: la voix des usagers", [
        ("presenter", "Ilham", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("presenter", "Manon", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("presenter", "Margaux", "", "Étudiante éducatrice spécialisée", "ETSUP"),
        ("presenter", "Fanny", "", "Étudiante éducatrice spécialisée", "ETSUP")], {}),
    ("closing", "15:45", "16:30", "Conclusions provisoires et perspectives", [
        ("witness", "Richard", "FEAT", "Consultant et intervenant", "ETSUP")], {}),
]

# The grand témoin's report, as ETSUP published it on 10 April 2018, summarised (not the
# full text): its sections, the conclusions in his words where short enough, and the
# documentation centre's « Pour aller plus loin ».
ETSUP_DAY_SYNTHESIS = {
    "title": "Synthèse du grand témoin",
    "authors": "Richard FEAT, consultant et intervenant à l’ETSUP",
    "body": """\
*Résumé du compte rendu de la journée écrit par Richard FEAT, grand témoin, et publié par l'ETSUP le 10 avril 2018.*

Tout au long de la journée se sont succédé des intervenant·e·s confronté·e·s à la numérisation des pratiques éducatives et institutionnelles, et des étudiant·e·s ayant expérimenté durant leurs stages l'impact des nouvelles technologies dans l'accompagnement des publics.

## Le numérique, un nouveau risque professionnel ?

Antoine Bondeele (INRS) a clarifié l'évolution des pratiques numériques et ses effets possibles sur la souffrance au travail ; après les témoignages de Claire et Marie, une première table ronde a mis en évidence plusieurs problématiques.

## Sur le terrain, un paradoxe

La dématérialisation des données personnelles et des dossiers sécurise souvent le suivi, notamment des populations en errance ou très précarisées, mais elle est aussi une occasion supplémentaire de fracture sociale : la technicité requise suppose une disponibilité et un environnement technique minimum qui ne sont pas toujours réunis, ni chez les professionnels, ni chez les usagers.

Les communications de F. Radzinsky, B. Goudet et O. Boville ont montré que, sans accès régulier des usagers à ces technologies et sous une pression temporelle accrue, l'éducateur n'a souvent guère d'autre solution que de faire « à la place » : un paradoxe au regard des missions d'émancipation et d'autonomisation. La présentation de l'application « Entourage » par C. Duizabe ([entourage.social](https://www.entourage.social/)) a été l'occasion d'évoquer les risques d'« uberisation » du travail social.

## Digitalisation : risques et/ou opportunités

La deuxième table ronde a mis en évidence les enjeux du volume d'informations que la digitalisation rend possible. Noémie, Pauline et Manon ont décrit deux difficultés : hiérarchiser chaque donnée, et se concentrer sur un axe de travail au milieu d'un flux incessant de nouveautés. Cette accumulation n'est pas neutre : l'usager se voit plus facilement mis à nu. Un témoignage sur l'usage des réseaux sociaux auprès de mineurs non accompagnés a néanmoins montré que l'environnement numérique offre de nouvelles occasions éducatives, qu'elles soient prétextes, liens ou médiations.

## Usages et pratiques des personnes accompagnées

L'après-midi a été en partie consacré aux usages généraux du numérique et aux fractures qui demeurent, avec la communication de Morgane Skowron. La vidéo présentée par Ilham, Manon, Margaux et Fanny a fait entendre la voix d'usagers eux-mêmes sur les possibilités et les freins que les applications créent au quotidien.

## Conclusions provisoires et perspectives

- Même si l'environnement change radicalement, les logiques de domination qu'évoquent Castel et Bourdieu ne changent guère, et les reproductions sociales sont peu touchées par cette « révolution numérique ».
- L'accès aux connaissances n'a jamais été aussi simple, mais leur masse n'a jamais été aussi dense : plutôt que d'être « pour » ou « contre », interroger les valeurs et représentations qu'elle entraîne, ses modalités d'accès et de tri.
- Reprenant le concept d'épistémè de Foucault, interroger les routines cognitives que le « tout numérique » génère : les algorithmes ne sauraient remplacer totalement la faculté de jugement, c'est-à-dire un positionnement délibéré et politique sur le bon et le mauvais usage de la technologie.
- Un métier comme celui d'éducateur spécialisé ne peut (ni ne doit) être constitué des seules compétences et techniques mesurables, mais aussi de valeurs humanistes et donc politiques, dans une perspective d'émancipation de chacun.
""",
    "reading_list": """\
Le centre de documentation de l'ETSUP propose une sélection de documents récents sur le sujet, dans deux de ses dimensions :

- Numérique, dématérialisation et travail social
- Éducation aux médias et à internet

Pour suivre le sujet de l'inclusion numérique : le site *Les cahiers de l'inclusion numérique*, proposé par Emmaüs Connect et We Tech Care.
""",
}

ETSUP_EVENT = {
    "slug": "travail-social-2-0-etsup-2018",
    "title": "#Le Travail social 2.0\u202f: le numérique et le travail social",
    "edition": "Journée inter-promo éducateurs spécialisés",
    "date": "2018-03-20",
    "registration_deadline": None,
    "registration_opens_on": None,
    "venue_name": "ETSUP",
    "venue_address": "",
    "venue_postcode": "",
    "venue_city": "Paris",
    "host_organisation": "Les étudiants de 2e année DEES de l’ETSUP",
    "audiences": "Étudiants éducateurs spécialisés, professionnels, formateurs",
    "contact_email": "contact@etsup.com",
    "capacity": None,
    "context": "",
    "presentation": ETSUP_PRESENTATION,
    "rooms": [],
    "sessions": ETSUP_SESSIONS,
    "workshop_rooms": {},
    "workshop_capacity": None,
    "day_synthesis": ETSUP_DAY_SYNTHESIS,
}
