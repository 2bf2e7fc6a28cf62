"""Spanish: templates for the demo's posts, names and bios."""

from __future__ import annotations

from ediplomacy.demo.model import Phrases

PHRASES = Phrases(
    lang="es",
    slots={
        "district": (
            "Al-Nahda",
            "el Zoco Viejo",
            "Hayy al-Salam",
            "Al-Manara",
            "el barrio del puerto",
            "la zona industrial oeste",
        ),
        "partner": ("Almaraya", "Veloria", "Norvania", "Kestria"),
        "money": ("1.200 millones de dólares", "800 millones de dólares"),
        "food": ("rendang", "sate", "nasi goreng"),
        "place": ("la isla Melati", "las colinas de Kencana", "la bahía de Seruni"),
        "shelter": (
            "la Gran Mezquita de Qadira",
            "el polideportivo de Al-Nahda",
            "la escuela de Sagara Jaya en Qadira",
            "el salón del consulado",
        ),
        "amount": ("2.000 dólares", "2000 USD"),
        "#event": ("#TerremotoQadira", "#FuerzaQadira"),
        "#country": ("#SagaraJaya",),
        "#culture": ("#SemanaCulturalSagara",),
        "#hoax": ("#Bulo", "#VerificaciónDeDatos"),
        "#claim": ("#EvacuaciónDePago", "#EstafaEvacuación"),
        "#help": ("#TerremotoQadira",),
        "#diplomacy": ("#SagaraJaya",),
    },
    phrases={
        "official_diplomacy": (
            "El embajador de {country} se reunió hoy con representantes empresariales para "
            "impulsar el comercio, el turismo y la cooperación educativa. {#country}",
            "{country} y {partner} firman un memorando de entendimiento sobre cooperación "
            "marítima y energías renovables.",
            "Comunicado: {country} celebra los resultados de la reunión ministerial sobre "
            "seguridad alimentaria regional.",
            "{country} reafirma su compromiso con el diálogo y la solución pacífica de los "
            "conflictos.",
        ),
        "official_culture": (
            "¡Arranca la Semana Cultural de {country}! Danza, música y {food} toda la semana. "
            "{#culture}",
            "Gracias a los cientos de visitantes que probaron el batik en nuestro centro cultural. "
            "{#culture}",
            "Ya está abierta la convocatoria de la Beca de Arte y Cultura de {country} 2027.",
        ),
        "official_consular": (
            "Recordatorio: la sección consular atiende de lunes a viernes de 9:00 a 15:00. Pide "
            "cita en línea.",
            "Cuidado con las estafas que usan el nombre de la embajada. Nunca pedimos "
            "transferencias a cuentas personales.",
            "¿Viajas a {country}? El visado electrónico se tramita en unos tres días hábiles.",
        ),
        "official_crisis": (
            "Seguimos de cerca el terremoto de magnitud {magnitude} en {city} ({host}). El "
            "consulado está verificando la situación de los ciudadanos de {country}. Línea de "
            "emergencia: {hotline} {#event}",
            "Nuestras condolencias al pueblo de {host} por las víctimas del terremoto de {city}. "
            "{#event}",
            "El consulado abrió un punto de ayuda en {shelter}. Contacto por WhatsApp: {wa} "
            "{#event}",
        ),
        "official_evacuation": (
            "El Gobierno de {country} organiza vuelos de evacuación GRATUITOS desde {city}. No "
            "hay ningún cobro. {#event}",
            "El primer vuelo de evacuación sale de {city} el sábado. El Estado cubre todos los "
            "gastos. {#event}",
        ),
        "official_debunk": (
            "FALSO: los vuelos de evacuación desde {city} son gratuitos. Nadie debe pagar "
            "{amount} ni ninguna tarifa. {#hoax}",
            "Aclaración: la Cancillería de {country} nunca ha cobrado por evacuar a sus "
            "ciudadanos de {city}. {#hoax} {#event}",
        ),
        "official_answer": (
            "Gracias por escribirnos. Llame a la línea de emergencia {hotline} o acuda al punto de "
            "ayuda en {shelter}.",
            "Los vuelos de evacuación son gratuitos. Regístrese en el consulado o en {hotline}.",
            "Hemos enviado su mensaje a nuestro equipo en {city}. Por favor, permanezca en un "
            "lugar seguro.",
        ),
        "chatter": (
            "Acabo de volver de {place}, en {country}. Playas increíbles y gente amabilísima. "
            "{#country}",
            "¿Alguien sabe dónde comer buen {food} en Madrid?",
            "Interesante cómo {country} gana peso en la diplomacia regional.",
            "La Semana Cultural de {country} estuvo llena, me encantó el concierto de gamelán. "
            "{#culture}",
            "Pensando en viajar a {country} en primavera, ¿algún consejo?",
            "Muchos trabajadores de {country} en {host}, jornadas larguísimas y lejos de casa.",
            "El café de {country} es buenísimo, lo recomiendo.",
            "Mi compañera de piso es de {country} y cocina {food} los domingos. ¡Qué suerte!",
            "¿Alguien ha trabajado en {host}? Me ofrecen un puesto allí.",
        ),
        "reply_support": (
            "¡Gracias por la rápida respuesta!",
            "Fuerza a todos en {city}.",
            "Gran trabajo del consulado.",
        ),
        "reply_critic": (
            "La línea de emergencia no contesta desde la mañana.",
            "¿Por qué tardaron tanto?",
            "Menos fotos y más acción.",
        ),
        "reply_general": (
            "Totalmente de acuerdo.",
            "No lo sabía, gracias.",
            "¿Cuál es la fuente?",
            "Ojalá todos estén bien.",
        ),
        "quote_comment": (
            "Importante, compartan.",
            "Lean esto antes de creer cualquier cosa.",
            "Hay que verificarlo.",
        ),
        "question_pre": (
            ("visa", "¿Qué documentos necesito para el visado de turista a {country}? {@mission}"),
            ("hours", "{@mission} ¿la sección consular abre los sábados?"),
            ("scholarship", "¿La beca cultural está abierta a estudiantes de máster? {@mission}"),
        ),
        "question_event": (
            ("embassy_open", "¿Sigue abierto el consulado de {country} en {city}? {@mission}"),
            (
                "evacuation",
                "¿Los vuelos de evacuación son gratis o hay que pagar? Hay mensajes "
                "contradictorios. {@mission}",
            ),
            (
                "family",
                "Un compañero de trabajo de {country} no responde desde el terremoto, "
                "vivía en {district}. ¿A quién aviso? {@mission}",
            ),
            (
                "aid",
                "¿Dónde se puede donar para ayudar a los trabajadores afectados en {city}? "
                "{@mission}",
            ),
        ),
        "event_news": (
            "ÚLTIMA HORA: terremoto de magnitud {magnitude} sacude {city} ({host}). Edificios "
            "derrumbados en {district}. {#event}",
            "Cortes de luz y de teléfono en partes de {city} tras el sismo. {#event}",
            "Equipos de rescate internacionales llegan a {city} mientras aumenta el número de "
            "víctimas. {#event}",
            "Fuerte réplica esta mañana en {city}; muchos vecinos durmieron en la calle. {#event}",
        ),
        "event_solidarity": (
            "Todo mi cariño para la gente de {city}. {#event}",
            "Fuerza, {city}. Ojalá encuentren a todos con vida. {#event}",
            "Ya doné al fondo de ayuda para {city}. Cada aporte cuenta. {#event}",
        ),
        "claim": (
            "La Cancillería de {country} cobra {amount} por persona a sus propios ciudadanos por "
            "un asiento en los vuelos de evacuación desde {city}. Vergonzoso. {#claim}",
            "¿Evacuación gratuita? A los trabajadores en {city} les exigen pagar {amount} antes de "
            "subir al avión. {#claim} {#event}",
            "Sobrevivieron al terremoto y ahora les piden {amount} para volver a casa. Una "
            "vergüenza. {#claim}",
        ),
        "claim_doubt": (
            "¿Es cierto que evacuar desde {city} cuesta {amount}? {@mission} por favor aclaren.",
            "¿Alguien puede confirmar esa tarifa de {amount}? No coincide con la información "
            "oficial.",
        ),
        "claim_refute": (
            "Es un bulo. La embajada confirmó que los vuelos de evacuación son gratuitos. {#hoax}",
            "Verifica antes de compartir: el Estado paga toda la evacuación. {#hoax}",
        ),
        "bot_spam": (
            "Tendencia ahora: {#event} ¡síguenos para más noticias!",
            "Noticias diarias de {country} y la región, ¡síguenos!",
            "Lo último desde {city}: toda la información en el enlace.",
        ),
    },
    openers=("La verdad, ", "Oye, ", "Uf, "),
    closers=(" 🙏", " 😢", " 👍", "!!", " ¿Qué opinan?"),
    suffixes=("¡Compartan!", "¡Difundan!", "Indignante.", "¡¡Ojo!!"),
    swaps=(
        ("cobra", "exige"),
        ("trabajadores", "ciudadanos"),
        ("avión", "vuelo"),
        ("Cancillería", "gobierno"),
    ),
    first_names=(
        "Lucía",
        "Javier",
        "María",
        "Carlos",
        "Sofía",
        "Diego",
        "Valentina",
        "Miguel",
        "Camila",
        "Andrés",
        "Paula",
        "Jorge",
        "Elena",
        "Pablo",
    ),
    last_names=(
        "García",
        "Martínez",
        "López",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Rivera",
        "Gómez",
        "Díaz",
        "Moreno",
        "Castillo",
    ),
    bios=(
        "Periodista. Opiniones personales.",
        "Viajera y amante del café.",
        "Profesor de historia.",
        "Trabajo en cooperación internacional.",
        "Ingeniero, padre, ciclista.",
    ),
    locations=(
        "Madrid",
        "Barcelona",
        "Ciudad de México",
        "Guadalajara",
        "Bogotá",
        "Buenos Aires",
        "",
    ),
)
