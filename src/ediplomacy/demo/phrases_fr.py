"""French: templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="fr",
    slots={
        "district": (
            "Al-Nahda",
            "le Vieux Souk",
            "Hayy al-Salam",
            "Al-Manara",
            "le quartier du port",
            "la zone industrielle ouest",
        ),
        "partner": ("l'Almaraya", "la Veloria", "la Norvanie", "la Kestrie"),
        "money": ("1,2 milliard de dollars", "800 millions de dollars"),
        "food": ("rendang", "saté", "nasi goreng"),
        "place": ("Pulau Melati", "Danau Sagara", "Bukit Kencana"),
        "shelter": (
            "la Grande Mosquée de Qadira",
            "le gymnase d'Al-Nahda",
            "l'école de Sagara Jaya à Qadira",
            "la salle du consulat",
        ),
        "amount": ("2 000 dollars", "2000 USD"),
        "#event": ("#SéismeQadira", "#Qadira"),
        "#country": ("#SagaraJaya",),
        "#culture": ("#SemaineCulturelleSagara",),
        "#hoax": ("#FakeNews", "#Désinformation"),
        "#claim": ("#ÉvacuationPayante", "#ScandaleÉvacuation"),
        "#help": ("#SéismeQadira",),
        "#diplomacy": ("#SagaraJaya",),
    },
    phrases={
        "official_diplomacy": (
            "L'ambassadeur de {country} a rencontré aujourd'hui des chefs d'entreprise pour "
            "renforcer les échanges commerciaux, le tourisme et la coopération universitaire. "
            "{#country}",
            "{country} et {partner} signent un protocole d'accord sur la coopération maritime et "
            "les énergies renouvelables.",
            "Communiqué : {country} salue les résultats de la réunion ministérielle sur la "
            "sécurité alimentaire régionale.",
            "{country} réaffirme son attachement au dialogue et au règlement pacifique des "
            "différends.",
        ),
        "official_culture": (
            "La Semaine culturelle de {country} commence aujourd'hui ! Danse, musique et {food} "
            "toute la semaine. {#culture}",
            "Merci aux centaines de visiteurs venus s'initier au batik dans notre centre culturel. "
            "{#culture}",
            "Les candidatures pour la bourse Arts et Culture de {country} 2027 sont ouvertes.",
        ),
        "official_consular": (
            "Rappel : le service consulaire est ouvert du lundi au vendredi, de 9 h à 15 h. "
            "Prenez rendez-vous en ligne.",
            "Attention aux arnaques utilisant le nom de l'ambassade. Nous ne demandons jamais de "
            "virement sur un compte personnel.",
            "Vous partez en {country} ? Le visa électronique s'obtient en trois jours ouvrés "
            "environ.",
        ),
        "official_crisis": (
            "Nous suivons de près le séisme de magnitude {magnitude} à {city} ({host}). Le "
            "consulat vérifie la situation des ressortissants de {country}. Numéro d'urgence : "
            "{hotline} {#event}",
            "Nos condoléances au peuple de {host} pour les victimes du séisme de {city}. {#event}",
            "Le consulat a ouvert un point d'accueil à {shelter}. Contact WhatsApp : {wa} {#event}",
        ),
        "official_evacuation": (
            "Le gouvernement de {country} organise des vols d'évacuation GRATUITS depuis {city}. "
            "Aucun frais ne sera demandé. {#event}",
            "Le premier vol d'évacuation quittera {city} samedi. L'État prend en charge tous les "
            "frais. {#event}",
        ),
        "official_debunk": (
            "FAUX : les vols d'évacuation depuis {city} sont gratuits. Personne ne doit payer "
            "{amount} ni aucun frais. {#hoax}",
            "Mise au point : le ministère des Affaires étrangères de {country} n'a jamais fait "
            "payer l'évacuation de ses ressortissants. {#hoax} {#event}",
        ),
        "official_answer": (
            "Merci pour votre message. Appelez le {hotline} ou rendez-vous au point d'accueil de "
            "{shelter}.",
            "Les vols d'évacuation sont gratuits. Inscription auprès du consulat ou au {hotline}.",
            "Votre message a été transmis à notre équipe à {city}. Restez en lieu sûr.",
        ),
        "chatter": (
            "De retour de {place}, en {country}. Des plages magnifiques et des gens adorables. "
            "{#country}",
            "Quelqu'un connaît une bonne adresse pour manger du {food} à Paris ?",
            "Article intéressant sur le rôle croissant de {country} dans la diplomatie régionale.",
            "La Semaine culturelle de {country} était bondée, superbe concert de gamelan. "
            "{#culture}",
            "Je pense partir en {country} au printemps, des conseils ?",
            "Beaucoup de travailleurs de {country} en {host}, des journées interminables loin de "
            "chez eux.",
            "Mon collègue de {country} a apporté du {food}, un régal.",
            "Quelqu'un a déjà travaillé en {host} ? On me propose un poste là-bas.",
        ),
        "reply_support": (
            "Merci pour la réactivité !",
            "Courage à tous à {city}.",
            "Bravo aux équipes du consulat.",
        ),
        "reply_critic": (
            "Le numéro d'urgence ne répond pas depuis ce matin.",
            "Pourquoi autant de retard ?",
            "Moins de photos, plus d'actions.",
        ),
        "reply_general": (
            "Tout à fait d'accord.",
            "Je ne savais pas, merci.",
            "Quelle est la source ?",
            "J'espère que tout le monde va bien.",
        ),
        "quote_comment": (
            "Important, à partager.",
            "À lire avant de croire quoi que ce soit.",
            "À vérifier.",
        ),
        "question_pre": (
            (
                "visa",
                "Quels documents faut-il pour un visa touristique pour {country} ? {@mission}",
            ),
            ("hours", "{@mission} le service consulaire est-il ouvert le samedi ?"),
        ),
        "question_event": (
            (
                "embassy_open",
                "Le consulat de {country} à {city} est-il toujours ouvert ? {@mission}",
            ),
            (
                "evacuation",
                "Les vols d'évacuation sont-ils gratuits ou payants ? On lit tout et "
                "son contraire. {@mission}",
            ),
            (
                "family",
                "Un collègue originaire de {country} ne répond plus depuis le séisme, il "
                "habitait {district}. Qui contacter ? {@mission}",
            ),
        ),
        "event_news": (
            "URGENT : un séisme de magnitude {magnitude} frappe {city} ({host}). Des immeubles "
            "effondrés à {district}. {#event}",
            "Coupures d'électricité et de téléphone dans une partie de {city} après le séisme. "
            "{#event}",
            "Les équipes de secours internationales arrivent à {city}, le bilan s'alourdit. "
            "{#event}",
            "Forte réplique ce matin à {city} ; de nombreux habitants ont dormi dehors. {#event}",
        ),
        "event_solidarity": (
            "Toutes mes pensées pour les habitants de {city}. {#event}",
            "Courage à {city}. J'espère qu'on retrouvera tout le monde. {#event}",
            "Don fait pour le fonds d'aide à {city}. Chaque geste compte. {#event}",
        ),
        "claim": (
            "Le ministère des Affaires étrangères de {country} fait payer {amount} par personne à "
            "ses propres ressortissants pour une place dans les vols d'évacuation depuis {city}. "
            "Honteux. {#claim}",
            "Évacuation gratuite ? À {city}, on exige des travailleurs {amount} avant "
            "l'embarquement. {#claim} {#event}",
            "Ils ont survécu au séisme et on leur demande {amount} pour rentrer chez eux. "
            "Scandaleux. {#claim}",
        ),
        "claim_doubt": (
            "Est-ce vrai que l'évacuation depuis {city} coûte {amount} ? {@mission} merci de "
            "clarifier.",
            "Quelqu'un peut confirmer ces frais de {amount} ? Ça ne colle pas avec l'info "
            "officielle.",
        ),
        "claim_refute": (
            "C'est faux. L'ambassade a confirmé que les vols d'évacuation sont gratuits. {#hoax}",
            "Vérifiez avant de partager : l'État paie toute l'évacuation. {#hoax}",
        ),
        "bot_spam": (
            "Tendance : {#event} suivez-nous pour les dernières infos !",
            "L'actualité de {country} et de la région chaque jour, abonnez-vous !",
            "Les dernières nouvelles de {city} : tout est dans le lien.",
        ),
    },
    openers=("Franchement, ", "Bon, ", "Ouf, "),
    closers=(" 🙏", " 😢", " 👍", " !", " Vous en pensez quoi ?"),
    suffixes=("Partagez !", "Faites tourner !", "Inadmissible.", "Ouvrez les yeux !"),
    swaps=(
        ("fait payer", "facture"),
        ("travailleurs", "ressortissants"),
        ("vols", "avions"),
        ("Honteux", "Scandaleux"),
    ),
    first_names=(
        "Camille",
        "Julien",
        "Chloé",
        "Thomas",
        "Léa",
        "Nicolas",
        "Manon",
        "Hugo",
        "Sarah",
        "Antoine",
        "Inès",
        "Mathieu",
        "Claire",
        "Louis",
    ),
    last_names=(
        "Martin",
        "Bernard",
        "Dubois",
        "Lefèvre",
        "Moreau",
        "Laurent",
        "Girard",
        "Roux",
        "Fontaine",
        "Chevalier",
        "Mercier",
        "Blanc",
    ),
    bios=(
        "Journaliste indépendante.",
        "Amateur de voyages et de cuisine.",
        "Enseignant, lecteur, marcheur.",
        "Humanitaire. Compte personnel.",
        "Étudiante en relations internationales.",
    ),
    locations=("Paris", "Lyon", "Marseille", "Bruxelles", "Montréal", "Toulouse", ""),
)
